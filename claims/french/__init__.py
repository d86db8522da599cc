"""The French text layer: language resources, folding, negation, figures, the spaCy pipeline."""
