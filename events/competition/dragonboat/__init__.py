"""Dragon-boat formats: progression tables and engine, lanes from the centre, cross-rostered paddlers."""
