@{
    # Descriptions of parameters that many cmdlets share. A cmdlet's own help source may override any of them.
    Parameters = @{
        Domain    = 'The domain to work on: a connection from Connect-BPDomain, or the node name of a connected domain such as \B. The default connection when not given.'
        DataStore = 'Store IDs of the data stores. Binds from the DataStore or Name property of piped objects (Get-BPDataStore, Get-BPVolume), which are then acted on in the domain of the node they came from.'
        Node      = 'The node a piped object came from (bound from its Node property); not meant to be typed: use -Domain.'
        PassThru  = 'Returns the resulting object.'
    }
}
