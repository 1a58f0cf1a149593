using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Surge.Plans;

namespace Surge.Data;

/// <summary>
/// Reads RFC 4180 CSV with CsvHelper, checking what CsvHelper forgives: every record must have as many fields as the
/// header, and a quote must open and close a whole field. Blank lines are skipped.
/// </summary>
internal static class CsvTableReader
{
    public static ParsedTable Read(string path, string text)
    {
        // Blank lines come back as records so that the offset of each record in the text, hence its line, stays exact.
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { IgnoreBlankLines = false };
        using var parser = new CsvParser(new StringReader(text), configuration);
        string[]? fields = null;
        var rows = new List<string[]>();
        var offset = 0;
        while (parser.Read())
        {
            var raw = parser.RawRecord;
            var start = offset;
            offset += raw.Length;
            if (raw.AsSpan().TrimEnd("\r\n").IsEmpty)
            {
                continue;
            }
            var record = ReadRecord(parser, path, text, start, raw);
            if (fields is null)
            {
                if (DataTable.DescribeBadFieldNames(record) is { } problem)
                {
                    throw new PlanException($"the header line names the fields: {problem}", DataFile.Locate(path, text, start));
                }
                fields = record;
            }
            else if (record.Length != fields.Length)
            {
                throw new PlanException(
                    $"this record has {record.Length} fields, but the header has {fields.Length} ({string.Join(", ", fields)})",
                    DataFile.Locate(path, text, start));
            }
            else
            {
                rows.Add(record);
            }
        }
        if (fields is null)
        {
            throw new PlanException("the CSV file is empty: its first line must name the fields", new SourceLocation(path, 1, 1));
        }
        if (rows.Count == 0)
        {
            throw new PlanException("the CSV file has a header but no records below it", new SourceLocation(path, 1, 1));
        }
        return new ParsedTable(fields, [.. rows]);
    }

    private static string[] ReadRecord(CsvParser parser, string path, string text, int start, string raw)
    {
        try
        {
            return parser.Record ?? [];
        }
        catch (BadDataException)
        {
            var quote = raw.IndexOf('"', StringComparison.Ordinal);
            var opensField = quote == 0 || (quote > 0 && raw[quote - 1] == ',');
            var unclosed = opensField && raw.Count(c => c == '"') % 2 == 1;
            throw new PlanException(
                unclosed
                    ? "this quoted field is never closed: end it with a quote"
                    : "a quote is out of place: put the whole field in quotes and double every quote inside it (\"\")",
                DataFile.Locate(path, text, start + Math.Max(quote, 0)));
        }
    }
}
