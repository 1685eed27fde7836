"""The Qt user interface: the main window, one subpackage per pane, dialogs and the theme."""
