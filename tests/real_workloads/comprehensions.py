"""comprehensions: the order in which WidgetTray sorts the benchmark's widgets."""
from run_benchmark import WidgetTray, make_some_widgets

widgets = make_some_widgets()
for owner in range(4):
    tray = WidgetTray(owner, widgets)
    print(owner, [w.widget_id for w in tray.sorted_widgets])
print(widgets[5])
