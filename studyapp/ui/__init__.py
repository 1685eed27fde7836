"""The Qt user interface: the main window, one module per pane, dialogs and the theme."""
