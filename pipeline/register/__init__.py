"""The Steering Group's register: the view across every review (``dhr register``).

Takes folders of review folders; produces ``build/register/``: an SQLite register built
by migrations (``db``), the dashboard, the action lists, the annual report to the
cabinet committee and ``national.json``. ``build.build_register`` is the entry point; the
modules below it are, in order of use: ``profile``, ``reviews``, ``themes``, ``similar``,
``status``, ``db``, ``views``, ``suppress``, ``charts``, ``dashboard``, ``annual``,
``tables``, ``national``, ``outputs``. Nothing here imports this package's ``__init__``.
"""
