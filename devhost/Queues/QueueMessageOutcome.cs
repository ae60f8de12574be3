namespace FestivalReservations.DevHost.Queues;

/// <summary>What became of one dequeued message.</summary>
public enum QueueMessageOutcome
{
    /// <summary>The function succeeded; the message was deleted.</summary>
    Completed,

    /// <summary>The function failed; the message becomes visible again after the retry delay.</summary>
    Retried,

    /// <summary>The function failed on the last allowed dequeue; the message moved to the poison queue.</summary>
    Poisoned,
}
