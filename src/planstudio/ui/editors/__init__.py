"""The editor pane (`pane`) and its forms, one module per level of the plan (`forms`)."""
