"""One builder per component type; each adds its variables and constraints for all units of
that type at once (stacked along the type's own dimension) and registers its bus terms."""
