using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Surge.Plans;

namespace Surge.Http;

/// <summary>Certificate checking for both transports: the platform's, unless the plan opts out for test servers.</summary>
internal static class TlsPolicy
{
#pragma warning disable CA5359 // the user's explicit insecureSkipTLSVerify, for self-signed test servers
    public static RemoteCertificateValidationCallback? ValidationFor(HttpOptions options) =>
        options.InsecureSkipTlsVerify ? AcceptAny : null;
#pragma warning restore CA5359

    private static bool AcceptAny(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;
}
