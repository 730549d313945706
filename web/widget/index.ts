// The embeddable widget: see docs/widget.md (being built).
export {};
