using System.Diagnostics.CodeAnalysis;

namespace Surge.Data;

/// <summary>One record of a <see cref="DataTable"/>: a reference to the table and a row number, so taking one allocates nothing.</summary>
internal readonly struct DataRecord : IEquatable<DataRecord>
{
    internal DataRecord(DataTable table, int row)
    {
        Table = table;
        Row = row;
    }

    public DataTable Table { get; }

    /// <summary>The record's position in its table, from 0.</summary>
    public int Row { get; }

    /// <exception cref="KeyNotFoundException">The table has no such field.</exception>
    public string this[string field] => Table.Value(Row, Table.FieldIndex(field));

    /// <summary>The value of a field resolved once with <see cref="DataTable.FieldIndex"/>.</summary>
    public string this[int field] => Table.Value(Row, field);

    public bool TryGet(string field, [MaybeNullWhen(false)] out string value)
    {
        if (Table.TryGetFieldIndex(field, out var index))
        {
            value = Table.Value(Row, index);
            return true;
        }
        value = null;
        return false;
    }

    public bool Equals(DataRecord other) => ReferenceEquals(Table, other.Table) && Row == other.Row;

    public override bool Equals(object? obj) => obj is DataRecord other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Table, Row);

    public static bool operator ==(DataRecord left, DataRecord right) => left.Equals(right);

    public static bool operator !=(DataRecord left, DataRecord right) => !left.Equals(right);
}
