# Hand-written corner cases for s6-py311's conformance test (compiled, never run).
import sys

BIG = 2 ** 100
NEG_BIG = -(2 ** 70) - 12345
EDGE = (2 ** 63 - 1, -(2 ** 63), 2 ** 63, -(2 ** 63) - 1, 2 ** 64, 1 << 15, 1 << 30, -1, 0)
FLOATS = (0.1, -0.0, 1.5, 1e16, 1e15, 123456789012345678.0, 1e-5, 1e-4, 2.5e-300, 1e308 * 10, 3.0)
NAN = float("nan")
COMPLEX = (1j, 1 + 2j, -1.5 - 0.5j, 2.5j, 1e20j)
BYTES = (b"", b"a'b", b'a"b', b"\x00\xff\n\t\\", b"'\"")
STRS = ("", "it's", 'say "hi"', "both ' and \"", "tab\tnew\nline\\", "\x7f\x80\xa0\xad",
        "caf\u00e9", "\u4e2d\u6587", "\U0001f600", "\ud800", "a\udcffb", "x" * 300)
LONG_ASCII = "y" * 70000
NESTED = ((1, (2, (3, ()))), (None, True, False, ...), ("a",))


def membership(x):
    return x in {1, 2, "a", b"b", 3.5, (1, 2), None} or x in frozenset() or x not in {7}


def sig(a, b=1, /, c=2, *args, d, e=3, **kw):
    return a, b, c, args, d, e, kw


def outer(a, b, *args, k=1, **kw):
    c = 1

    def inner():
        nonlocal c
        c += a
        return d, c

    d = lambda y: y + a
    return inner


class Klass(Exception):
    attr = [i for i in range(3)]

    def method(self):
        return super().method(), __class__

    @staticmethod
    def gen(n):
        x = yield n
        yield from range(x)
        return 5

    async def coro(self, other):
        async with other as o:
            async for z in o:
                await z
        return [q async for q in other]

    async def agen(self):
        yield 1


def handlers(x):
    try:
        try:
            x()
        except* ValueError as e:
            print(e)
        except* TypeError:
            pass
    except Exception as e:
        raise RuntimeError from e
    finally:
        with open(x) as f, open(f) as g:
            print(g)
    return x


def matcher(cmd):
    match cmd:
        case ["go", direction] if direction:
            return direction
        case {"k": v, **rest}:
            return v, rest
        case Klass(attr=3) | [1, 2, *_]:
            return 0
        case str() | bytes():
            return 1
        case _:
            return None


def many_jumps(n):
    t = 0
    if n > 0:
        t += 0
    else:
        t -= n
    if n > 1:
        t += 1
    else:
        t -= n
    if n > 2:
        t += 2
    else:
        t -= n
    if n > 3:
        t += 3
    else:
        t -= n
    if n > 4:
        t += 4
    else:
        t -= n
    if n > 5:
        t += 5
    else:
        t -= n
    if n > 6:
        t += 6
    else:
        t -= n
    if n > 7:
        t += 7
    else:
        t -= n
    if n > 8:
        t += 8
    else:
        t -= n
    if n > 9:
        t += 9
    else:
        t -= n
    if n > 10:
        t += 10
    else:
        t -= n
    if n > 11:
        t += 11
    else:
        t -= n
    if n > 12:
        t += 12
    else:
        t -= n
    if n > 13:
        t += 13
    else:
        t -= n
    if n > 14:
        t += 14
    else:
        t -= n
    if n > 15:
        t += 15
    else:
        t -= n
    if n > 16:
        t += 16
    else:
        t -= n
    if n > 17:
        t += 17
    else:
        t -= n
    if n > 18:
        t += 18
    else:
        t -= n
    if n > 19:
        t += 19
    else:
        t -= n
    if n > 20:
        t += 20
    else:
        t -= n
    if n > 21:
        t += 21
    else:
        t -= n
    if n > 22:
        t += 22
    else:
        t -= n
    if n > 23:
        t += 23
    else:
        t -= n
    if n > 24:
        t += 24
    else:
        t -= n
    if n > 25:
        t += 25
    else:
        t -= n
    if n > 26:
        t += 26
    else:
        t -= n
    if n > 27:
        t += 27
    else:
        t -= n
    if n > 28:
        t += 28
    else:
        t -= n
    if n > 29:
        t += 29
    else:
        t -= n
    if n > 30:
        t += 30
    else:
        t -= n
    if n > 31:
        t += 31
    else:
        t -= n
    if n > 32:
        t += 32
    else:
        t -= n
    if n > 33:
        t += 33
    else:
        t -= n
    if n > 34:
        t += 34
    else:
        t -= n
    if n > 35:
        t += 35
    else:
        t -= n
    if n > 36:
        t += 36
    else:
        t -= n
    if n > 37:
        t += 37
    else:
        t -= n
    if n > 38:
        t += 38
    else:
        t -= n
    if n > 39:
        t += 39
    else:
        t -= n
    if n > 40:
        t += 40
    else:
        t -= n
    if n > 41:
        t += 41
    else:
        t -= n
    if n > 42:
        t += 42
    else:
        t -= n
    if n > 43:
        t += 43
    else:
        t -= n
    if n > 44:
        t += 44
    else:
        t -= n
    if n > 45:
        t += 45
    else:
        t -= n
    if n > 46:
        t += 46
    else:
        t -= n
    if n > 47:
        t += 47
    else:
        t -= n
    if n > 48:
        t += 48
    else:
        t -= n
    if n > 49:
        t += 49
    else:
        t -= n
    if n > 50:
        t += 50
    else:
        t -= n
    if n > 51:
        t += 51
    else:
        t -= n
    if n > 52:
        t += 52
    else:
        t -= n
    if n > 53:
        t += 53
    else:
        t -= n
    if n > 54:
        t += 54
    else:
        t -= n
    if n > 55:
        t += 55
    else:
        t -= n
    if n > 56:
        t += 56
    else:
        t -= n
    if n > 57:
        t += 57
    else:
        t -= n
    if n > 58:
        t += 58
    else:
        t -= n
    if n > 59:
        t += 59
    else:
        t -= n
    if n > 60:
        t += 60
    else:
        t -= n
    if n > 61:
        t += 61
    else:
        t -= n
    if n > 62:
        t += 62
    else:
        t -= n
    if n > 63:
        t += 63
    else:
        t -= n
    if n > 64:
        t += 64
    else:
        t -= n
    if n > 65:
        t += 65
    else:
        t -= n
    if n > 66:
        t += 66
    else:
        t -= n
    if n > 67:
        t += 67
    else:
        t -= n
    if n > 68:
        t += 68
    else:
        t -= n
    if n > 69:
        t += 69
    else:
        t -= n
    if n > 70:
        t += 70
    else:
        t -= n
    if n > 71:
        t += 71
    else:
        t -= n
    if n > 72:
        t += 72
    else:
        t -= n
    if n > 73:
        t += 73
    else:
        t -= n
    if n > 74:
        t += 74
    else:
        t -= n
    if n > 75:
        t += 75
    else:
        t -= n
    if n > 76:
        t += 76
    else:
        t -= n
    if n > 77:
        t += 77
    else:
        t -= n
    if n > 78:
        t += 78
    else:
        t -= n
    if n > 79:
        t += 79
    else:
        t -= n
    if n > 80:
        t += 80
    else:
        t -= n
    if n > 81:
        t += 81
    else:
        t -= n
    if n > 82:
        t += 82
    else:
        t -= n
    if n > 83:
        t += 83
    else:
        t -= n
    if n > 84:
        t += 84
    else:
        t -= n
    if n > 85:
        t += 85
    else:
        t -= n
    if n > 86:
        t += 86
    else:
        t -= n
    if n > 87:
        t += 87
    else:
        t -= n
    if n > 88:
        t += 88
    else:
        t -= n
    if n > 89:
        t += 89
    else:
        t -= n
    if n > 90:
        t += 90
    else:
        t -= n
    if n > 91:
        t += 91
    else:
        t -= n
    if n > 92:
        t += 92
    else:
        t -= n
    if n > 93:
        t += 93
    else:
        t -= n
    if n > 94:
        t += 94
    else:
        t -= n
    if n > 95:
        t += 95
    else:
        t -= n
    if n > 96:
        t += 96
    else:
        t -= n
    if n > 97:
        t += 97
    else:
        t -= n
    if n > 98:
        t += 98
    else:
        t -= n
    if n > 99:
        t += 99
    else:
        t -= n
    if n > 100:
        t += 100
    else:
        t -= n
    if n > 101:
        t += 101
    else:
        t -= n
    if n > 102:
        t += 102
    else:
        t -= n
    if n > 103:
        t += 103
    else:
        t -= n
    if n > 104:
        t += 104
    else:
        t -= n
    if n > 105:
        t += 105
    else:
        t -= n
    if n > 106:
        t += 106
    else:
        t -= n
    if n > 107:
        t += 107
    else:
        t -= n
    if n > 108:
        t += 108
    else:
        t -= n
    if n > 109:
        t += 109
    else:
        t -= n
    if n > 110:
        t += 110
    else:
        t -= n
    if n > 111:
        t += 111
    else:
        t -= n
    if n > 112:
        t += 112
    else:
        t -= n
    if n > 113:
        t += 113
    else:
        t -= n
    if n > 114:
        t += 114
    else:
        t -= n
    if n > 115:
        t += 115
    else:
        t -= n
    if n > 116:
        t += 116
    else:
        t -= n
    if n > 117:
        t += 117
    else:
        t -= n
    if n > 118:
        t += 118
    else:
        t -= n
    if n > 119:
        t += 119
    else:
        t -= n
    if n > 120:
        t += 120
    else:
        t -= n
    if n > 121:
        t += 121
    else:
        t -= n
    if n > 122:
        t += 122
    else:
        t -= n
    if n > 123:
        t += 123
    else:
        t -= n
    if n > 124:
        t += 124
    else:
        t -= n
    if n > 125:
        t += 125
    else:
        t -= n
    if n > 126:
        t += 126
    else:
        t -= n
    if n > 127:
        t += 127
    else:
        t -= n
    if n > 128:
        t += 128
    else:
        t -= n
    if n > 129:
        t += 129
    else:
        t -= n
    if n > 130:
        t += 130
    else:
        t -= n
    if n > 131:
        t += 131
    else:
        t -= n
    if n > 132:
        t += 132
    else:
        t -= n
    if n > 133:
        t += 133
    else:
        t -= n
    if n > 134:
        t += 134
    else:
        t -= n
    if n > 135:
        t += 135
    else:
        t -= n
    if n > 136:
        t += 136
    else:
        t -= n
    if n > 137:
        t += 137
    else:
        t -= n
    if n > 138:
        t += 138
    else:
        t -= n
    if n > 139:
        t += 139
    else:
        t -= n
    if n > 140:
        t += 140
    else:
        t -= n
    if n > 141:
        t += 141
    else:
        t -= n
    if n > 142:
        t += 142
    else:
        t -= n
    if n > 143:
        t += 143
    else:
        t -= n
    if n > 144:
        t += 144
    else:
        t -= n
    if n > 145:
        t += 145
    else:
        t -= n
    if n > 146:
        t += 146
    else:
        t -= n
    if n > 147:
        t += 147
    else:
        t -= n
    if n > 148:
        t += 148
    else:
        t -= n
    if n > 149:
        t += 149
    else:
        t -= n
    for i in range(n):
        if i == 0:
            t *= 2
        if i == 1:
            t *= 3
        if i == 2:
            t *= 4
        if i == 3:
            t *= 5
        if i == 4:
            t *= 6
        if i == 5:
            t *= 7
        if i == 6:
            t *= 8
        if i == 7:
            t *= 9
        if i == 8:
            t *= 10
        if i == 9:
            t *= 11
        if i == 10:
            t *= 12
        if i == 11:
            t *= 13
        if i == 12:
            t *= 14
        if i == 13:
            t *= 15
        if i == 14:
            t *= 16
        if i == 15:
            t *= 17
        if i == 16:
            t *= 18
        if i == 17:
            t *= 19
        if i == 18:
            t *= 20
        if i == 19:
            t *= 21
        if i == 20:
            t *= 22
        if i == 21:
            t *= 23
        if i == 22:
            t *= 24
        if i == 23:
            t *= 25
        if i == 24:
            t *= 26
        if i == 25:
            t *= 27
        if i == 26:
            t *= 28
        if i == 27:
            t *= 29
        if i == 28:
            t *= 30
        if i == 29:
            t *= 31
        if i == 30:
            t *= 32
        if i == 31:
            t *= 33
        if i == 32:
            t *= 34
        if i == 33:
            t *= 35
        if i == 34:
            t *= 36
        if i == 35:
            t *= 37
        if i == 36:
            t *= 38
        if i == 37:
            t *= 39
        if i == 38:
            t *= 40
        if i == 39:
            t *= 41
        if i == 40:
            t *= 42
        if i == 41:
            t *= 43
        if i == 42:
            t *= 44
        if i == 43:
            t *= 45
        if i == 44:
            t *= 46
        if i == 45:
            t *= 47
        if i == 46:
            t *= 48
        if i == 47:
            t *= 49
        if i == 48:
            t *= 50
        if i == 49:
            t *= 51
        if i == 50:
            t *= 52
        if i == 51:
            t *= 53
        if i == 52:
            t *= 54
        if i == 53:
            t *= 55
        if i == 54:
            t *= 56
        if i == 55:
            t *= 57
        if i == 56:
            t *= 58
        if i == 57:
            t *= 59
        if i == 58:
            t *= 60
        if i == 59:
            t *= 61
        if i == 60:
            t *= 62
        if i == 61:
            t *= 63
        if i == 62:
            t *= 64
        if i == 63:
            t *= 65
        if i == 64:
            t *= 66
        if i == 65:
            t *= 67
        if i == 66:
            t *= 68
        if i == 67:
            t *= 69
        if i == 68:
            t *= 70
        if i == 69:
            t *= 71
        if i == 70:
            t *= 72
        if i == 71:
            t *= 73
        if i == 72:
            t *= 74
        if i == 73:
            t *= 75
        if i == 74:
            t *= 76
        if i == 75:
            t *= 77
        if i == 76:
            t *= 78
        if i == 77:
            t *= 79
        if i == 78:
            t *= 80
        if i == 79:
            t *= 81
        if i == 80:
            t *= 82
        if i == 81:
            t *= 83
        if i == 82:
            t *= 84
        if i == 83:
            t *= 85
        if i == 84:
            t *= 86
        if i == 85:
            t *= 87
        if i == 86:
            t *= 88
        if i == 87:
            t *= 89
        if i == 88:
            t *= 90
        if i == 89:
            t *= 91
        if i == 90:
            t *= 92
        if i == 91:
            t *= 93
        if i == 92:
            t *= 94
        if i == 93:
            t *= 95
        if i == 94:
            t *= 96
        if i == 95:
            t *= 97
        if i == 96:
            t *= 98
        if i == 97:
            t *= 99
        if i == 98:
            t *= 100
        if i == 99:
            t *= 101
        if i == 100:
            t *= 102
        if i == 101:
            t *= 103
        if i == 102:
            t *= 104
        if i == 103:
            t *= 105
        if i == 104:
            t *= 106
        if i == 105:
            t *= 107
        if i == 106:
            t *= 108
        if i == 107:
            t *= 109
        if i == 108:
            t *= 110
        if i == 109:
            t *= 111
        if i == 110:
            t *= 112
        if i == 111:
            t *= 113
        if i == 112:
            t *= 114
        if i == 113:
            t *= 115
        if i == 114:
            t *= 116
        if i == 115:
            t *= 117
        if i == 116:
            t *= 118
        if i == 117:
            t *= 119
        if i == 118:
            t *= 120
        if i == 119:
            t *= 121
        if i == 120:
            t *= 122
        if i == 121:
            t *= 123
        if i == 122:
            t *= 124
        if i == 123:
            t *= 125
        if i == 124:
            t *= 126
        if i == 125:
            t *= 127
        if i == 126:
            t *= 128
        if i == 127:
            t *= 129
        if i == 128:
            t *= 130
        if i == 129:
            t *= 131
        if i == 130:
            t *= 132
        if i == 131:
            t *= 133
        if i == 132:
            t *= 134
        if i == 133:
            t *= 135
        if i == 134:
            t *= 136
        if i == 135:
            t *= 137
        if i == 136:
            t *= 138
        if i == 137:
            t *= 139
        if i == 138:
            t *= 140
        if i == 139:
            t *= 141
        if i == 140:
            t *= 142
        if i == 141:
            t *= 143
        if i == 142:
            t *= 144
        if i == 143:
            t *= 145
        if i == 144:
            t *= 146
        if i == 145:
            t *= 147
        if i == 146:
            t *= 148
        if i == 147:
            t *= 149
        if i == 148:
            t *= 150
        if i == 149:
            t *= 151
    return t


def many_names():
    return (g0 + g1 + g2 + g3 + g4 + g5 + g6 + g7 + g8 + g9 + g10 + g11 + g12 + g13 + g14 + g15 + g16 + g17 + g18 + g19 + g20 + g21 + g22 + g23 + g24 + g25 + g26 + g27 + g28 + g29 + g30 + g31 + g32 + g33 + g34 + g35 + g36 + g37 + g38 + g39 + g40 + g41 + g42 + g43 + g44 + g45 + g46 + g47 + g48 + g49 + g50 + g51 + g52 + g53 + g54 + g55 + g56 + g57 + g58 + g59 + g60 + g61 + g62 + g63 + g64 + g65 + g66 + g67 + g68 + g69 + g70 + g71 + g72 + g73 + g74 + g75 + g76 + g77 + g78 + g79 + g80 + g81 + g82 + g83 + g84 + g85 + g86 + g87 + g88 + g89 + g90 + g91 + g92 + g93 + g94 + g95 + g96 + g97 + g98 + g99 + g100 + g101 + g102 + g103 + g104 + g105 + g106 + g107 + g108 + g109 + g110 + g111 + g112 + g113 + g114 + g115 + g116 + g117 + g118 + g119 + g120 + g121 + g122 + g123 + g124 + g125 + g126 + g127 + g128 + g129 + g130 + g131 + g132 + g133 + g134 + g135 + g136 + g137 + g138 + g139 + g140 + g141 + g142 + g143 + g144 + g145 + g146 + g147 + g148 + g149 + g150 + g151 + g152 + g153 + g154 + g155 + g156 + g157 + g158 + g159 + g160 + g161 + g162 + g163 + g164 + g165 + g166 + g167 + g168 + g169 + g170 + g171 + g172 + g173 + g174 + g175 + g176 + g177 + g178 + g179 + g180 + g181 + g182 + g183 + g184 + g185 + g186 + g187 + g188 + g189 + g190 + g191 + g192 + g193 + g194 + g195 + g196 + g197 + g198 + g199 + g200 + g201 + g202 + g203 + g204 + g205 + g206 + g207 + g208 + g209 + g210 + g211 + g212 + g213 + g214 + g215 + g216 + g217 + g218 + g219 + g220 + g221 + g222 + g223 + g224 + g225 + g226 + g227 + g228 + g229 + g230 + g231 + g232 + g233 + g234 + g235 + g236 + g237 + g238 + g239 + g240 + g241 + g242 + g243 + g244 + g245 + g246 + g247 + g248 + g249 + g250 + g251 + g252 + g253 + g254 + g255 + g256 + g257 + g258 + g259 + g260 + g261 + g262 + g263 + g264 + g265 + g266 + g267 + g268 + g269 + g270 + g271 + g272 + g273 + g274 + g275 + g276 + g277 + g278 + g279 + g280 + g281 + g282 + g283 + g284 + g285 + g286 + g287 + g288 + g289 + g290 + g291 + g292 + g293 + g294 + g295 + g296 + g297 + g298 + g299)


def many_locals():
    v0 = 0
    v1 = 1
    v2 = 2
    v3 = 3
    v4 = 4
    v5 = 5
    v6 = 6
    v7 = 7
    v8 = 8
    v9 = 9
    v10 = 10
    v11 = 11
    v12 = 12
    v13 = 13
    v14 = 14
    v15 = 15
    v16 = 16
    v17 = 17
    v18 = 18
    v19 = 19
    v20 = 20
    v21 = 21
    v22 = 22
    v23 = 23
    v24 = 24
    v25 = 25
    v26 = 26
    v27 = 27
    v28 = 28
    v29 = 29
    v30 = 30
    v31 = 31
    v32 = 32
    v33 = 33
    v34 = 34
    v35 = 35
    v36 = 36
    v37 = 37
    v38 = 38
    v39 = 39
    v40 = 40
    v41 = 41
    v42 = 42
    v43 = 43
    v44 = 44
    v45 = 45
    v46 = 46
    v47 = 47
    v48 = 48
    v49 = 49
    v50 = 50
    v51 = 51
    v52 = 52
    v53 = 53
    v54 = 54
    v55 = 55
    v56 = 56
    v57 = 57
    v58 = 58
    v59 = 59
    v60 = 60
    v61 = 61
    v62 = 62
    v63 = 63
    v64 = 64
    v65 = 65
    v66 = 66
    v67 = 67
    v68 = 68
    v69 = 69
    v70 = 70
    v71 = 71
    v72 = 72
    v73 = 73
    v74 = 74
    v75 = 75
    v76 = 76
    v77 = 77
    v78 = 78
    v79 = 79
    v80 = 80
    v81 = 81
    v82 = 82
    v83 = 83
    v84 = 84
    v85 = 85
    v86 = 86
    v87 = 87
    v88 = 88
    v89 = 89
    v90 = 90
    v91 = 91
    v92 = 92
    v93 = 93
    v94 = 94
    v95 = 95
    v96 = 96
    v97 = 97
    v98 = 98
    v99 = 99
    v100 = 100
    v101 = 101
    v102 = 102
    v103 = 103
    v104 = 104
    v105 = 105
    v106 = 106
    v107 = 107
    v108 = 108
    v109 = 109
    v110 = 110
    v111 = 111
    v112 = 112
    v113 = 113
    v114 = 114
    v115 = 115
    v116 = 116
    v117 = 117
    v118 = 118
    v119 = 119
    v120 = 120
    v121 = 121
    v122 = 122
    v123 = 123
    v124 = 124
    v125 = 125
    v126 = 126
    v127 = 127
    v128 = 128
    v129 = 129
    v130 = 130
    v131 = 131
    v132 = 132
    v133 = 133
    v134 = 134
    v135 = 135
    v136 = 136
    v137 = 137
    v138 = 138
    v139 = 139
    v140 = 140
    v141 = 141
    v142 = 142
    v143 = 143
    v144 = 144
    v145 = 145
    v146 = 146
    v147 = 147
    v148 = 148
    v149 = 149
    v150 = 150
    v151 = 151
    v152 = 152
    v153 = 153
    v154 = 154
    v155 = 155
    v156 = 156
    v157 = 157
    v158 = 158
    v159 = 159
    v160 = 160
    v161 = 161
    v162 = 162
    v163 = 163
    v164 = 164
    v165 = 165
    v166 = 166
    v167 = 167
    v168 = 168
    v169 = 169
    v170 = 170
    v171 = 171
    v172 = 172
    v173 = 173
    v174 = 174
    v175 = 175
    v176 = 176
    v177 = 177
    v178 = 178
    v179 = 179
    v180 = 180
    v181 = 181
    v182 = 182
    v183 = 183
    v184 = 184
    v185 = 185
    v186 = 186
    v187 = 187
    v188 = 188
    v189 = 189
    v190 = 190
    v191 = 191
    v192 = 192
    v193 = 193
    v194 = 194
    v195 = 195
    v196 = 196
    v197 = 197
    v198 = 198
    v199 = 199
    v200 = 200
    v201 = 201
    v202 = 202
    v203 = 203
    v204 = 204
    v205 = 205
    v206 = 206
    v207 = 207
    v208 = 208
    v209 = 209
    v210 = 210
    v211 = 211
    v212 = 212
    v213 = 213
    v214 = 214
    v215 = 215
    v216 = 216
    v217 = 217
    v218 = 218
    v219 = 219
    v220 = 220
    v221 = 221
    v222 = 222
    v223 = 223
    v224 = 224
    v225 = 225
    v226 = 226
    v227 = 227
    v228 = 228
    v229 = 229
    v230 = 230
    v231 = 231
    v232 = 232
    v233 = 233
    v234 = 234
    v235 = 235
    v236 = 236
    v237 = 237
    v238 = 238
    v239 = 239
    v240 = 240
    v241 = 241
    v242 = 242
    v243 = 243
    v244 = 244
    v245 = 245
    v246 = 246
    v247 = 247
    v248 = 248
    v249 = 249
    v250 = 250
    v251 = 251
    v252 = 252
    v253 = 253
    v254 = 254
    v255 = 255
    v256 = 256
    v257 = 257
    v258 = 258
    v259 = 259
    v260 = 260
    v261 = 261
    v262 = 262
    v263 = 263
    v264 = 264
    v265 = 265
    v266 = 266
    v267 = 267
    v268 = 268
    v269 = 269
    v270 = 270
    v271 = 271
    v272 = 272
    v273 = 273
    v274 = 274
    v275 = 275
    v276 = 276
    v277 = 277
    v278 = 278
    v279 = 279
    v280 = 280
    v281 = 281
    v282 = 282
    v283 = 283
    v284 = 284
    v285 = 285
    v286 = 286
    v287 = 287
    v288 = 288
    v289 = 289
    v290 = 290
    v291 = 291
    v292 = 292
    v293 = 293
    v294 = 294
    v295 = 295
    v296 = 296
    v297 = 297
    v298 = 298
    v299 = 299
    return v0 + v7 + v14 + v21 + v28 + v35 + v42 + v49 + v56 + v63 + v70 + v77 + v84 + v91 + v98 + v105 + v112 + v119 + v126 + v133 + v140 + v147 + v154 + v161 + v168 + v175 + v182 + v189 + v196 + v203 + v210 + v217 + v224 + v231 + v238 + v245 + v252 + v259 + v266 + v273 + v280 + v287 + v294
