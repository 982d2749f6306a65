using Cake.Core;

namespace Recipes.Hosting.Internal;

/// <summary>Cake's console over given writers, without colours; for hosts embedded in another program, such as tests.</summary>
internal sealed class WriterConsole(TextWriter output, TextWriter error) : IConsole
{
    public ConsoleColor ForegroundColor { get; set; }

    public ConsoleColor BackgroundColor { get; set; }

    public bool SupportAnsiEscapeCodes => false;

    public void Write(string format, params object[] arg) => output.Write(format, arg);

    public void Write(string value) => output.Write(value);

    public void WriteLine(string format, params object[] arg) => output.WriteLine(format, arg);

    public void WriteLine(string value) => output.WriteLine(value);

    public void WriteError(string format, params object[] arg) => error.Write(format, arg);

    public void WriteError(string value) => error.Write(value);

    public void WriteErrorLine(string format, params object[] arg) => error.WriteLine(format, arg);

    public void WriteErrorLine(string value) => error.WriteLine(value);

    public void ResetColor()
    {
    }
}
