using System.Reflection;
using Cake.Core;
using Cake.Core.Diagnostics;

namespace Recipes.Hosting.Internal;

/// <summary>Gives the task graph to Cake's engine, mapping each Frosting member onto Cake's task builder.</summary>
internal sealed class TaskRegistrar(ICakeEngine engine, ICakeLog log, BuildRunState state)
{
    public void Register(IReadOnlyList<TaskNode> nodes, Func<Type, IFrostingTask> resolve, Type contextType)
    {
        foreach (var node in nodes)
        {
            var task = resolve(node.ImplementationType);
            if (!task.ContextType.IsAssignableFrom(contextType))
            {
                throw new FrostingException(
                    $"Task '{node.Name}' ({node.ImplementationType.FullName}) needs a context of type {task.ContextType.FullName}, " +
                    $"but this build's context is {contextType.FullName}. Call UseContext<{task.ContextType.Name}>() on the host, " +
                    $"or derive the task from FrostingTask<{contextType.Name}>.");
            }

            log.Debug("Registering task {0} ({1})", node.Name, node.ImplementationType.FullName ?? node.ImplementationType.Name);
            Register(node, task);
        }
    }

    private void Register(TaskNode node, IFrostingTask task)
    {
        var builder = engine.RegisterTask(node.Name);
        var type = node.ImplementationType;
        var name = node.Name;

        if (!string.IsNullOrWhiteSpace(node.Description))
        {
            builder.Description(node.Description);
        }

        if (node.TurnedOffReason is { } reason)
        {
            state.RecordSkip(name, reason);
            builder.WithCriteria(false, reason);
        }
        else if (IsOverridden(type, nameof(FrostingTask<>.ShouldRun)))
        {
            builder.WithCriteria(context =>
            {
                if (task.ShouldRun(context))
                {
                    return true;
                }

                state.RecordSkip(name, task.SkipReason ?? "ShouldRun returned false");
                return false;
            });
        }

        // A task without work of its own (an aggregate target) is left without an action, so Cake reports it as Delegated.
        if (IsOverridden(type, nameof(FrostingTask<>.Run)) || IsOverridden(type, nameof(AsyncFrostingTask<>.RunAsync)))
        {
            builder.Does(async context =>
            {
                try
                {
                    await task.RunAsync(context).ConfigureAwait(false);
                }
                catch
                {
                    state.RecordFailure(name);
                    throw;
                }
            });
        }

        if (node.ContinueOnError)
        {
            builder.ContinueOnError();
        }

        if (IsOverridden(type, nameof(FrostingTask<>.OnError)))
        {
            builder.OnError((exception, context) => task.OnError(exception, context));
        }

        if (IsOverridden(type, nameof(FrostingTask<>.Finally)))
        {
            builder.Finally(context => task.Finally(context));
        }

        foreach (var dependency in node.Dependencies)
        {
            builder.IsDependentOn(dependency);
        }
    }

    /// <summary>True when a class below the library's base classes declares the member.</summary>
    private static bool IsOverridden(Type type, string methodName) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == methodName)
            .Any(m => m.DeclaringType is { } declaring && !IsLibraryBase(declaring));

    private static bool IsLibraryBase(Type type)
    {
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return definition == typeof(FrostingTask<>) || definition == typeof(AsyncFrostingTask<>)
            || definition == typeof(FrostingTaskBase<>) || definition == typeof(object);
    }
}
