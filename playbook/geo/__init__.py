"""Geography: DGUIDs, the census hierarchy, catchments and maps."""
