// The CLI tests start real surge processes, and the signal test targets "the most recently started" one: run the
// classes one after another so that no other test's process is the one signalled.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
