"""The desktop window: Qt widgets, view models and dialogs."""
