using System.Diagnostics.CodeAnalysis;

namespace Surge.Templating;

/// <summary>
/// Where a template's <c>{{ name }}</c> finds its value: a VU variable, a data record field or a setup output.
/// The engine layers these behind one lookup; a template only asks by name.
/// </summary>
internal interface IVariables
{
    bool TryGet(string name, [NotNullWhen(true)] out string? value);
}
