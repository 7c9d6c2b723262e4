"""The network: one shared HTTP client with the reader's limits (reader.net.client)."""
