// CONTRACT STUB: the sample API helper replaces this file.
return 0;
