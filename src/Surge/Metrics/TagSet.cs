using System.Collections;

namespace Surge.Metrics;

/// <summary>An immutable set of tags, sorted by key so that equal sets compare and hash equal.</summary>
public sealed class TagSet : IEquatable<TagSet>, IReadOnlyList<KeyValuePair<string, string>>
{
    /// <summary>No tags; a filter that matches every series.</summary>
    public static readonly TagSet Empty = new([]);

    private readonly KeyValuePair<string, string>[] _tags;
    private readonly int _hash;

    private TagSet(KeyValuePair<string, string>[] sortedTags)
    {
        _tags = sortedTags;
        var hash = new HashCode();
        foreach (var (key, value) in _tags)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value, StringComparer.Ordinal);
        }
        _hash = hash.ToHashCode();
    }

    /// <summary>A set of these tags; when a key repeats, the last value wins.</summary>
    public static TagSet From(IEnumerable<KeyValuePair<string, string>> tags)
    {
        var unique = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            unique[key] = value;
        }
        return unique.Count == 0 ? Empty : new TagSet([.. unique]);
    }

    /// <summary>How many tags.</summary>
    public int Count => _tags.Length;

    /// <summary>The tag at <paramref name="index"/> in key order (ordinal).</summary>
    public KeyValuePair<string, string> this[int index] => _tags[index];

    /// <summary>The value of tag <paramref name="key"/>, or null when the set has no such tag.</summary>
    public string? this[string key]
    {
        get
        {
            foreach (var (k, v) in _tags)
            {
                if (k == key)
                {
                    return v;
                }
            }
            return null;
        }
    }

    /// <summary>A new set with these tags added or replaced.</summary>
    public TagSet With(IEnumerable<KeyValuePair<string, string>> more) => From(_tags.Concat(more));

    /// <summary>A new set with tag <paramref name="key"/> added or replaced.</summary>
    public TagSet With(string key, string value) => With([new KeyValuePair<string, string>(key, value)]);

    /// <summary>True when every tag of <paramref name="filter"/> is present here with the same value.</summary>
    public bool Matches(TagSet filter)
    {
        foreach (var (key, value) in filter._tags)
        {
            if (this[key] != value)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>True when both hold the same keys with the same values (ordinal comparison).</summary>
    public bool Equals(TagSet? other) =>
        other is not null && _hash == other._hash && _tags.AsSpan().SequenceEqual(other._tags);

    /// <inheritdoc cref="Equals(TagSet?)"/>
    public override bool Equals(object? obj) => Equals(obj as TagSet);

    /// <summary>A hash of every key and value, computed once.</summary>
    public override int GetHashCode() => _hash;

    /// <summary>The tags in key order (ordinal).</summary>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_tags).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary><c>key:value</c> pairs joined by commas, as in a threshold's filter: <c>method:GET,status:200</c>.</summary>
    public override string ToString() => string.Join(',', _tags.Select(t => $"{t.Key}:{t.Value}"));
}
