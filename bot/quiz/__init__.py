"""The quiz engine: questions drawn from the notes, curated questions, selection and FSRS practice."""
