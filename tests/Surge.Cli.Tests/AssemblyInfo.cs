// Every CLI test drives a real surge process that keeps a core busy: run the classes one after another, so that on a
// small machine no run is starved by the others (the compare tests measure medians of their runs).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
