namespace Surge.Data;

/// <summary>Which record a feeder hands out next.</summary>
public enum FeederMode
{
    /// <summary>Each record once, across all virtual users (and across instances, given an <see cref="InstanceSegment"/>).</summary>
    Sequential,

    /// <summary>A uniformly random record on every take; never runs out.</summary>
    Random,

    /// <summary>Records in file order, shared round-robin by all virtual users, starting over after the last; never runs out.</summary>
    Circular,
}

/// <summary>What a <see cref="FeederMode.Sequential"/> feeder does once every record has been taken.</summary>
public enum OutOfDataPolicy
{
    /// <summary>Takes fail, so the caller can end the virtual user or scenario.</summary>
    Stop,

    /// <summary>Starts over at the first record, as <see cref="FeederMode.Circular"/> does.</summary>
    Recycle,
}
