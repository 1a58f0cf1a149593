using System.Globalization;
using System.Text;
using Surge.Plans;

namespace Surge.Templating;

/// <summary>One compiled piece of a template; parts are immutable so one template renders on many threads.</summary>
internal abstract class TemplatePart
{
    public abstract void AppendTo(StringBuilder builder, IVariables variables);
}

internal sealed class LiteralPart(string text) : TemplatePart
{
    public override void AppendTo(StringBuilder builder, IVariables variables) => builder.Append(text);
}

internal sealed class VariablePart(string name, SourceLocation? location) : TemplatePart
{
    public string Name => name;

    public override void AppendTo(StringBuilder builder, IVariables variables)
    {
        if (!variables.TryGet(name, out var value))
        {
            throw new UndefinedVariableException(name, location);
        }
        builder.Append(value);
    }
}

internal sealed class UuidPart : TemplatePart
{
    public static UuidPart Instance { get; } = new();

    // Guid.NewGuid is a random (version 4) GUID.
    public override void AppendTo(StringBuilder builder, IVariables variables) =>
        builder.Append(CultureInfo.InvariantCulture, $"{Guid.NewGuid():D}");
}

internal sealed class RandomIntPart(long min, long max) : TemplatePart
{
    public override void AppendTo(StringBuilder builder, IVariables variables) =>
        builder.Append(CultureInfo.InvariantCulture, $"{min + Random.Shared.NextInt64((max - min) + 1)}");
}

internal sealed class RandomStringPart(int length) : TemplatePart
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public override void AppendTo(StringBuilder builder, IVariables variables)
    {
        for (var i = 0; i < length; i++)
        {
            builder.Append(Alphabet[Random.Shared.Next(Alphabet.Length)]);
        }
    }
}

internal enum TimestampFormat
{
    UnixMilliseconds,
    UnixSeconds,
    Iso8601,
}

internal sealed class TimestampPart(TimestampFormat format) : TemplatePart
{
    public override void AppendTo(StringBuilder builder, IVariables variables)
    {
        var now = DateTimeOffset.UtcNow;
        _ = format switch
        {
            TimestampFormat.UnixMilliseconds => builder.Append(CultureInfo.InvariantCulture, $"{now.ToUnixTimeMilliseconds()}"),
            TimestampFormat.UnixSeconds => builder.Append(CultureInfo.InvariantCulture, $"{now.ToUnixTimeSeconds()}"),
            _ => builder.Append(CultureInfo.InvariantCulture, $"{now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}"),
        };
    }
}
