"""The Textual user interface: reads models, never raw JSON; never calls the network from a widget."""
