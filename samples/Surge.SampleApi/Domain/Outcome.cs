namespace Surge.SampleApi.Domain;

/// <summary>Why a domain operation was refused; REST and gRPC each map it to their own status (400/404/409/422).</summary>
internal enum Failure
{
    InvalidArgument,
    NotFound,

    /// <summary>The caller's version is not the current one: someone else changed the record first.</summary>
    Conflict,

    /// <summary>The record's state forbids the operation, e.g. paying a cancelled invoice.</summary>
    FailedPrecondition,
}

internal sealed record DomainError(Failure Kind, string Message);

/// <summary>A domain operation's result: the value, or the error that refused it.</summary>
internal readonly record struct Outcome<T>(T? Value, DomainError? Error)
    where T : class
{
    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(DomainError error) => new(null, error);
}
