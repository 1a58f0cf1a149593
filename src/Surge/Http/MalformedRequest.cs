using System.Buffers;
using System.Globalization;
using System.Text;

namespace Surge.Http;

/// <summary>
/// Why a request was refused before it went on the wire: its error code (<see cref="NetworkError.InvalidHeader"/>,
/// ...) and what exactly was wrong, for the summary. Values are never quoted, since headers carry secrets.
/// </summary>
internal sealed record MalformedRequest(string Error, string Detail)
{
    // RFC 9110 tchar: what a method or a header name may consist of.
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    // A CR or LF would end the line and start a new header or a whole new request; a NUL truncates it in C servers.
    private static readonly SearchValues<char> LineBreaking = SearchValues.Create("\r\n\0");

    /// <summary>Whether <paramref name="text"/> may be a method or a header name: one or more of RFC 9110's tchar.</summary>
    public static bool IsToken(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExcept(TokenChars);

    /// <summary>What is wrong with a request made of these parts, or null when it can be sent as it is.</summary>
    public static MalformedRequest? Find(string method, string url, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        if (!IsToken(method))
        {
            return new(NetworkError.InvalidMethod, $"the method {Quote(method)} is not a token (letters, digits and !#$%&'*+-.^_`|~)");
        }
        if (url.AsSpan().IndexOfAny(LineBreaking) is var at and >= 0)
        {
            return new(NetworkError.InvalidUrl, $"the URL contains {Name(url[at])} at offset {at.ToString(CultureInfo.InvariantCulture)}");
        }
        foreach (var (name, value) in headers)
        {
            if (!IsToken(name))
            {
                return new(NetworkError.InvalidHeader, $"the header name {Quote(name)} is not a token (letters, digits and !#$%&'*+-.^_`|~)");
            }
            if (value.AsSpan().IndexOfAny(LineBreaking) is var offset and >= 0)
            {
                return new(NetworkError.InvalidHeader,
                    $"the value of header '{name}' contains {Name(value[offset])} at offset {offset.ToString(CultureInfo.InvariantCulture)}");
            }
        }
        return null;
    }

    private static string Name(char c) => c switch
    {
        '\r' => "a CR",
        '\n' => "an LF",
        _ => "a NUL",
    };

    // A name short enough to read, with control characters shown as escapes rather than breaking the summary's line.
    private static string Quote(string text)
    {
        var shown = new StringBuilder("'");
        foreach (var c in text.Length > 40 ? text[..40] : text)
        {
            if (char.IsControl(c))
            {
                shown.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                shown.Append(c);
            }
        }
        return shown.Append(text.Length > 40 ? "...'" : "'").ToString();
    }

    public override string ToString() => $"{Detail} ({Error})";
}
