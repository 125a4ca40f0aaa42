//! Small hand-checked cases that need no Python: opcode table spot checks and one marshal blob.

use s6_py311::opcodes::{self, JumpDirection};

#[test]
fn opcode_spot_checks() {
    assert_eq!(opcodes::LOAD_FAST, 124);
    assert_eq!(opcodes::name(5), "BINARY_OP_ADD_INT");
    assert_eq!(opcodes::base_op(5), opcodes::BINARY_OP);
    assert_eq!(opcodes::cache_units(opcodes::LOAD_GLOBAL), 5);
    assert_eq!(opcodes::cache_units(opcodes::LOAD_METHOD), 10);
    assert_eq!(
        opcodes::cache_units(opcodes::specialized::LOAD_ATTR_SLOT),
        4
    );
    assert_eq!(
        opcodes::base_op(opcodes::specialized::LOAD_FAST__LOAD_FAST),
        opcodes::LOAD_FAST
    );
    assert_eq!(
        opcodes::base_op(opcodes::specialized::EXTENDED_ARG_QUICK),
        opcodes::EXTENDED_ARG
    );
    assert!(opcodes::has_arg(opcodes::LOAD_FAST) && !opcodes::has_arg(opcodes::POP_TOP));
    assert_eq!(
        opcodes::jump_direction(opcodes::FOR_ITER),
        Some(JumpDirection::Forward)
    );
    assert_eq!(
        opcodes::jump_direction(opcodes::specialized::JUMP_BACKWARD_QUICK),
        Some(JumpDirection::Backward)
    );
    assert_eq!(opcodes::jump_direction(opcodes::LOAD_FAST), None);
    assert_eq!(opcodes::nb_op_name(0), Some("NB_ADD"));
    assert_eq!(opcodes::nb_op_symbol(13), Some("+="));
    assert_eq!(opcodes::cmp_op_name(2), Some("=="));
    assert_eq!(opcodes::by_name("CALL"), Some(171));
    assert_eq!(opcodes::BYTECODE_MAGIC, 3495);
    let conditional: Vec<&str> = (0..=255u8)
        .filter(|&o| opcodes::is_base(o) && opcodes::is_conditional_jump(o))
        .map(opcodes::name)
        .collect();
    assert_eq!(conditional.len(), 12, "{conditional:?}");
    assert!(conditional.iter().all(|n| n.starts_with("POP_JUMP_")
        || n.starts_with("JUMP_IF_")
        || *n == "FOR_ITER"
        || *n == "SEND"));
    assert!(
        opcodes::is_terminator(opcodes::RETURN_VALUE) && !opcodes::is_terminator(opcodes::FOR_ITER)
    );
}
