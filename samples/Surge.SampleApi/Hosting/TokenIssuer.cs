using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Surge.SampleApi.Hosting;

/// <summary>
/// Stateless bearer tokens, "base64url(username).base64url(HMAC(username))" under a key made per host, so a load
/// test that logs in on every iteration costs no server memory.
/// </summary>
internal sealed class TokenIssuer
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Issue(string username)
    {
        var name = Encoding.UTF8.GetBytes(username);
        return $"{Base64Url.EncodeToString(name)}.{Base64Url.EncodeToString(HMACSHA256.HashData(_key, name))}";
    }

    public bool TryValidate(string? authorizationHeader, [NotNullWhen(true)] out string? username)
    {
        username = null;
        const string scheme = "Bearer ";
        if (authorizationHeader is null || !authorizationHeader.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var token = authorizationHeader.AsSpan(scheme.Length).Trim();
        var dot = token.IndexOf('.');
        if (dot <= 0)
        {
            return false;
        }

        try
        {
            var name = Base64Url.DecodeFromChars(token[..dot]);
            var signature = Base64Url.DecodeFromChars(token[(dot + 1)..]);
            if (!CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(_key, name)))
            {
                return false;
            }

            username = Encoding.UTF8.GetString(name);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
