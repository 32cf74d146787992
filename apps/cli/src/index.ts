// The gatehouse command: translate, bootstrap, up, status
