// The dashboard (being built).
export {};
