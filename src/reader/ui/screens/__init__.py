"""Screens of the reader: main, welcome, help and dialogs."""
