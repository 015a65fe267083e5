"""The workspace's views, one module per page family; ``base`` has what they
share (access, navigation)."""
