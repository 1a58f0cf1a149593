// CONTRACT STUB: replaced by the CLI.
return 0;
