"""The HTTP API and the web page (`ties serve`)."""
