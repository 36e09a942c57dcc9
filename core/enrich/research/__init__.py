"""Network research: four gates, a careful HTTP client, and providers behind a small interface."""
