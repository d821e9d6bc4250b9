using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace BackPak.Core.Errors
{
    /// <summary>What kind of failure an error is. Mirrors the PowerShell ErrorCategory values the cmdlets map to,
    /// without Core depending on PowerShell.</summary>
    [JsonConverter(typeof(StringEnumConverter))]
    public enum BackPakErrorCategory
    {
        NotSpecified = 0,
        InvalidArgument,
        ObjectNotFound,
        ResourceExists,
        ResourceUnavailable,
        InvalidOperation,
        InvalidData,
        PermissionDenied,
        ConnectionError,
        OperationTimeout,
        ResourceBusy,
        SecurityError,
        NotImplemented,
        WriteError,
        InvalidResult,
    }
}
