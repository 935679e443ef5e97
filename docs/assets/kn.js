/* Kooperation & Netzwerke: behaviour that pages need, no framework. */
