using Surge.Plans;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Surge.Yaml;

/// <summary>
/// YamlDotNet's parser, remembering where it last was, so that an exception with no position of its own still points
/// into the file, and refusing nesting deeper than <see cref="YamlLimits.MaxNesting"/> before the representation
/// model recurses into it, or more values than <see cref="YamlLimits.MaxValues"/> before it holds them all.
/// </summary>
internal sealed class BoundedParser(YamlSource source, TextReader reader) : IParser
{
    private readonly Parser _parser = new(reader);
    private int _depth;
    private int _values;

    public ParsingEvent? Current => _parser.Current;

    /// <summary>Where the last event read ended: the nearest place to blame for a failure without a mark.</summary>
    public Mark LastPosition { get; private set; } = Mark.Empty;

    public bool MoveNext()
    {
        if (!_parser.MoveNext())
        {
            return false;
        }
        var current = _parser.Current!;
        LastPosition = current.Start;
        _depth += current switch
        {
            MappingStart or SequenceStart => 1,
            MappingEnd or SequenceEnd => -1,
            _ => 0,
        };
        if (current is Scalar or MappingStart or SequenceStart && ++_values > YamlLimits.MaxValues)
        {
            throw new PlanException(
                $"the test file holds more than {YamlLimits.MaxValues} values (the limit); split it into several tests, or repeat steps with loop:",
                source.At(current.Start));
        }
        if (_depth > YamlLimits.MaxNesting)
        {
            throw new PlanException(
                $"mappings and lists are nested more than {YamlLimits.MaxNesting} levels deep (the limit is {YamlLimits.MaxNesting})",
                source.At(current.Start));
        }
        return true;
    }
}
