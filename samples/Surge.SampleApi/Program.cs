using System.Runtime.InteropServices;
using Surge.SampleApi;
using Surge.SampleApi.Stores;

// Runs the sample API standalone until Ctrl-C or SIGTERM: dotnet run --project samples/Surge.SampleApi -- --store sqlite
const int ExitUsage = 2;

var parsed = SampleApiCommandLine.Parse(args);
if (parsed.ShowHelp)
{
    Console.WriteLine(SampleApiCommandLine.Usage);
    return 0;
}

if (parsed.Options is not { } options)
{
    Console.Error.WriteLine($"error: {parsed.Error}");
    Console.Error.WriteLine(SampleApiCommandLine.Usage);
    return ExitUsage;
}

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

SampleApiHost host;
try
{
    host = await SampleApiHost.StartAsync(options);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return ExitUsage;
}
catch (IOException e)
{
    Console.Error.WriteLine($"error: cannot listen on {options.Host}: {e.Message}");
    return 1;
}

await using (host)
{
    Console.WriteLine($"Surge sample API ({StoreKindNames.ToName(host.Store)} store) listening on {host.BaseAddress} (HTTP/1.1)");
    if (host.H2cAddress is { } h2c)
    {
        Console.WriteLine($"  gRPC and REST over HTTP/2 without TLS (h2c, prior knowledge) on {h2c}");
    }

    if (host.TlsAddress is { } tls)
    {
        Console.WriteLine($"  gRPC and REST over TLS (HTTP/1.1 and HTTP/2 by ALPN) on {tls}, self-signed certificate SHA-256 {host.TlsCertificate!.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)}");
    }

    var capacity = options.Capacity;
    Console.WriteLine(FormattableString.Invariant(
        $"GET /capacity: {capacity.Concurrency} at a time, {capacity.ServiceTime.TotalMilliseconds} ms each, {capacity.Queue} may wait: capacity {capacity.RequestsPerSecond:0.#} requests/s"));
    Console.WriteLine("Press Ctrl-C to stop.");
    await stop.Task;
}

return 0;
