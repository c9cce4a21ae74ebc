"""The app's screens: case picker, procedure, debrief and replay viewer."""
