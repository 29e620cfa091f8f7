"""Training the content model from the labelled dev sets: line labels from gold text, features, fitting."""
