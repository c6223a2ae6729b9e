const CATALOGUE = {"es": {}};
