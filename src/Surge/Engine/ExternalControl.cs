using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Surge.Plans;

namespace Surge.Engine;

/// <summary>
/// Changes the VUs of a run's externally-controlled scenarios while it goes on; the live dashboard's controls call
/// it. Pass one in <see cref="RunSettings.Control"/>: the run registers its scenarios in it when it starts. Any thread
/// may set a target while the executors read it.
/// </summary>
public sealed class ExternalControl
{
    private readonly ConcurrentDictionary<string, VuTarget> _targets = new(StringComparer.Ordinal);

    /// <summary>The externally-controlled scenarios of the current run, by name.</summary>
    public IReadOnlyCollection<string> Scenarios => [.. _targets.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The VUs a scenario is asked to run now, or null when no externally-controlled scenario has that name.</summary>
    public int? TargetVus(string scenario) => _targets.TryGetValue(scenario, out var target) ? target.Vus : null;

    /// <summary>
    /// Asks <paramref name="scenario"/> to run <paramref name="vus"/> looping VUs from now on. Refused (with the reason
    /// in <paramref name="error"/>) below 0, above the scenario's maxVUs, for an unknown scenario or one that ended.
    /// </summary>
    public bool TrySetVus(string scenario, int vus, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        error = !_targets.TryGetValue(scenario, out var target)
            ? $"no externally-controlled scenario is called '{scenario}'"
            : vus < 0 ? $"VUs cannot be negative ({vus.ToString(System.Globalization.CultureInfo.InvariantCulture)})"
            : vus > target.MaxVus ? $"scenario '{scenario}' allows at most {target.MaxVus} VUs (maxVUs), not {vus}"
            : target.Ended ? $"scenario '{scenario}' has ended"
            : null;
        if (error is not null)
        {
            return false;
        }
        target!.Vus = vus;
        return true;
    }

    /// <summary>A new run: every externally-controlled scenario of the plan starts at its own vus.</summary>
    internal void Attach(TestPlan plan)
    {
        _targets.Clear();
        foreach (var scenario in plan.Scenarios.Where(s => s.Executor is ExternallyControlledExecutor))
        {
            TargetOf(scenario);
        }
    }

    internal VuTarget TargetOf(ScenarioPlan scenario) => scenario.Executor is ExternallyControlledExecutor executor
        ? _targets.GetOrAdd(scenario.Name, _ => new VuTarget(executor.Vus, executor.MaxVus))
        : throw new ArgumentException($"scenario '{scenario.Name}' is {scenario.Executor.Kind}, not externally-controlled", nameof(scenario));

    internal sealed class VuTarget(int vus, int maxVus)
    {
        private volatile int _vus = vus;
        private volatile bool _ended;

        public int MaxVus { get; } = maxVus;

        public int Vus
        {
            get => _vus;
            set => _vus = value;
        }

        public bool Ended => _ended;

        public void End() => _ended = true;
    }
}
