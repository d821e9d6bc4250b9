@{
    # Descriptions of parameters that many cmdlets share. A cmdlet's own help source may override any of them.
    Parameters = @{
        Domain    = 'The domain to work on: a connection from Connect-BPDomain, or the node name of a connected domain such as \B. The default connection when not given. It must agree with where piped objects came from: a contradiction stops the command before anything changes (DomainMismatch). -Domain $null is refused by cmdlets that change things (EmptySelection), never read as the default.'
        DataStore = 'Store IDs of the data stores. Binds from the DataStore or Name property of piped objects (Get-BPDataStore, Get-BPVolume, Get-BPExportStatus, CSV rows), which are then acted on in the domain they came from (their Origin, else their Node). Given with nothing in it ($null, an empty list), it selects nothing: cmdlets that change things refuse it (EmptySelection).'
        Node      = 'The node a piped object came from (bound from its Node property, for example a Node column of a CSV file); not meant to be typed: use -Domain.'
        Origin    = 'The domain a piped object was read from (bound from its Origin property: provider, location and node), so that it is acted on in that connection and no other; not meant to be typed: use -Domain.'
        PassThru  = 'Returns the resulting object.'
    }
}
