"""Small reusable widgets of the editor pane and the side panels."""
