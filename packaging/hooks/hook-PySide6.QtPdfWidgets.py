# Overrides PyInstaller's stock hook for this PySide6 module: same collection, minus the Qt plugins and
# translations the app does not need (policy: hooksconfig["fanguai_qt"] in packaging/fanguai-desk.spec).
import importlib.util
import os

_spec = importlib.util.spec_from_file_location("_fanguai_qt_trim", os.path.join(os.path.dirname(__file__), "_qt_trim.py"))
_trim = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_trim)

hook = _trim.trimmed_hook(__file__)
