namespace Surge.Data;

/// <summary>What a reader found in a file: field names and rows of equal width.</summary>
internal sealed record ParsedTable(string[] Fields, string[][] Rows);
