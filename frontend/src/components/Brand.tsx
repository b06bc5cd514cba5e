export function BrandMark({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" className="brand-mark">
      <rect width="32" height="32" rx="7" />
      <path d="M9 17.5l4.5 4.5L23 11" />
    </svg>
  );
}

export function Brand({ subtitle }: { subtitle?: string }) {
  return (
    <div className="brand">
      <BrandMark />
      <div>
        <div className="brand-name">Supplier Portal</div>
        {subtitle && <div className="brand-sub">{subtitle}</div>}
      </div>
    </div>
  );
}
