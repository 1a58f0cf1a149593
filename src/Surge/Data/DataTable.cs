using System.Collections.Frozen;
using System.Collections.ObjectModel;
using Surge.Plans;

namespace Surge.Data;

/// <summary>
/// Test data loaded once from a CSV or JSON file and then only read, so every virtual user can share one instance
/// without locks. Fields are named by the CSV header or the JSON keys; every value is a string. A table always has
/// at least one record.
/// </summary>
public sealed class DataTable
{
    private readonly string[][] _rows;
    private readonly FrozenDictionary<string, int> _fieldIndexes;

    private DataTable(string source, string[] fields, string[][] rows)
    {
        Source = source;
        Fields = new ReadOnlyCollection<string>(fields);
        _rows = rows;
        _fieldIndexes = fields.Select((name, index) => KeyValuePair.Create(name, index)).ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The file the table was read from (as the test named it), or the name given to <see cref="FromRows"/>.</summary>
    public string Source { get; }

    /// <summary>The field names in column order (the CSV header, or the JSON objects' keys); unique and non-blank.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>How many records the table holds; at least 1 (the header line is not one).</summary>
    public int RowCount => _rows.Length;

    /// <summary>Reads a CSV file whose first line names the fields (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks).</summary>
    /// <param name="path">The file, absolute or relative to the current directory; it becomes <see cref="Source"/>.</param>
    /// <param name="declaredAt">Where the test names this file; a missing or unreadable file is reported there.</param>
    /// <exception cref="PlanException">The file is missing, empty or malformed; the message names file:line:column.</exception>
    public static DataTable LoadCsv(string path, SourceLocation? declaredAt = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var table = CsvTableReader.Read(path, DataFile.ReadText(path, declaredAt));
        return new DataTable(path, table.Fields, table.Rows);
    }

    /// <summary>Reads a JSON file holding an array of flat objects, one per record, all with the same keys.</summary>
    /// <param name="path">The file, absolute or relative to the current directory; it becomes <see cref="Source"/>.</param>
    /// <param name="declaredAt">Where the test names this file; a missing or unreadable file is reported there.</param>
    /// <exception cref="PlanException">The file is missing, empty or malformed; the message names file:line:column.</exception>
    public static DataTable LoadJson(string path, SourceLocation? declaredAt = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var table = JsonTableReader.Read(path, DataFile.ReadBytes(path, declaredAt));
        return new DataTable(path, table.Fields, table.Rows);
    }

    /// <summary>Reads a .csv or .json file, chosen by its extension.</summary>
    public static DataTable Load(string path, SourceLocation? declaredAt = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".CSV" => LoadCsv(path, declaredAt),
            ".JSON" => LoadJson(path, declaredAt),
            _ => throw new PlanException($"data file '{path}' must end in .csv or .json", declaredAt),
        };
    }

    /// <summary>A table built in code, e.g. by a C# test; each row holds one value per field, in field order.</summary>
    public static DataTable FromRows(string source, IEnumerable<string> fields, IEnumerable<IEnumerable<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(rows);
        var fieldArray = fields.ToArray();
        if (DescribeBadFieldNames(fieldArray) is { } problem)
        {
            throw new ArgumentException(problem, nameof(fields));
        }
        var rowArray = rows.Select(row => row.ToArray()).ToArray();
        if (rowArray.Length == 0)
        {
            throw new ArgumentException("a data table needs at least one row", nameof(rows));
        }
        for (var i = 0; i < rowArray.Length; i++)
        {
            if (rowArray[i].Length != fieldArray.Length)
            {
                throw new ArgumentException(
                    $"row {i} has {rowArray[i].Length} values, but there are {fieldArray.Length} fields", nameof(rows));
            }
        }
        return new DataTable(source, fieldArray, rowArray);
    }

    /// <summary>Resolves a field name once, so that hot paths read values by index.</summary>
    /// <exception cref="KeyNotFoundException">The table has no such field; the message lists the ones it has.</exception>
    public int FieldIndex(string field) =>
        TryGetFieldIndex(field, out var index)
            ? index
            : throw new KeyNotFoundException($"{Source} has no field '{field}'; its fields are {string.Join(", ", Fields)}");

    /// <summary>The column of <paramref name="field"/> (ordinal, case-sensitive), or false when the table has no such field.</summary>
    public bool TryGetFieldIndex(string field, out int index) => _fieldIndexes.TryGetValue(field, out index);

    /// <summary>One value: <paramref name="row"/> from 0 to <see cref="RowCount"/> - 1, <paramref name="field"/> an index from <see cref="FieldIndex"/>.</summary>
    /// <exception cref="IndexOutOfRangeException">Either index is out of range.</exception>
    public string Value(int row, int field) => _rows[row][field];

    /// <summary>Why these field names cannot name a table's columns (blank or repeated), or null when they can.</summary>
    internal static string? DescribeBadFieldNames(IReadOnlyList<string> fields)
    {
        if (fields.Count == 0)
        {
            return "there are no fields";
        }
        var firstPosition = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(fields[i]))
            {
                return $"field {i + 1} has no name";
            }
            if (!firstPosition.TryAdd(fields[i], i))
            {
                return $"the field name '{fields[i]}' appears twice (fields {firstPosition[fields[i]] + 1} and {i + 1})";
            }
        }
        return null;
    }
}
