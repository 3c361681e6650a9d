import type { Database } from '@glasshouse/kit';
import type { hipstershop } from '@glasshouse/contracts';

type Product = hipstershop.Product;

interface ProductRow {
  id: string;
  name: string;
  description: string;
  picture: string;
  price_usd_units: bigint;
  price_usd_nanos: number;
  categories: string[];
}

const COLUMNS = 'id, name, description, picture, price_usd_units, price_usd_nanos, categories';

function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    picture: row.picture,
    priceUsd: { currencyCode: 'USD', units: BigInt(row.price_usd_units), nanos: Number(row.price_usd_nanos) },
    categories: row.categories,
  };
}

/** `50%_off` → `50\%\_off`: a search term matches literally inside LIKE. */
function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Products in the catalog's own schema. */
export class ProductRepository {
  constructor(
    private readonly db: Database,
    private readonly schema: string,
  ) {}

  async list(): Promise<Product[]> {
    const rows = await this.db.query<ProductRow>(
      `SELECT ${COLUMNS} FROM ${this.schema}.products ORDER BY created_at, id`,
    );
    return rows.map(toProduct);
  }

  async get(id: string): Promise<Product | undefined> {
    const rows = await this.db.query<ProductRow>(
      `SELECT ${COLUMNS} FROM ${this.schema}.products WHERE id = $1`,
      [id],
    );
    return rows[0] && toProduct(rows[0]);
  }

  /** Case-insensitive match on name, description or an exact category. */
  async search(term: string): Promise<Product[]> {
    const rows = await this.db.query<ProductRow>(
      `SELECT ${COLUMNS} FROM ${this.schema}.products
        WHERE lower(name) LIKE $1 OR lower(description) LIKE $1 OR $2 = ANY(categories)
        ORDER BY name`,
      [`%${escapeLike(term.toLowerCase())}%`, term.toLowerCase()],
    );
    return rows.map(toProduct);
  }
}
