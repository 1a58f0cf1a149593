namespace Surge.Cli;

/// <summary>
/// Runtime settings that move the numbers, chosen by measurement (see bench/README.md) and set by the tool itself.
/// Socket completions run inline on the event-loop thread, as wrk runs its callbacks: a response is parsed and the
/// next request sent without a hop through the thread pool. The runtime reads this switch only from the environment,
/// once, when the first socket starts, so it is set here before anything touches the network. A user's explicit
/// setting wins.
/// </summary>
internal static class RuntimeTuning
{
    private const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void Apply()
    {
        if (Environment.GetEnvironmentVariable(InlineSocketCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
        }
    }
}
