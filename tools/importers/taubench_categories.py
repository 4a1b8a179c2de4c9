"""Category paths for τ-bench retail products, derived from the product name."""

from __future__ import annotations

from tools.importers.fields import slug

DEPARTMENT_BY_PRODUCT: dict[str, str] = {
    "Action Camera": "electronics/cameras",
    "Digital Camera": "electronics/cameras",
    "Indoor Security Camera": "electronics/smart-home",
    "Smart Thermostat": "electronics/smart-home",
    "Bluetooth Speaker": "electronics/audio",
    "Headphones": "electronics/audio",
    "Wireless Earbuds": "electronics/audio",
    "Laptop": "electronics/computers",
    "Tablet": "electronics/computers",
    "E-Reader": "electronics/computers",
    "Gaming Mouse": "electronics/computer-accessories",
    "Mechanical Keyboard": "electronics/computer-accessories",
    "Smartphone": "electronics/phones",
    "Portable Charger": "electronics/phones",
    "Smart Watch": "electronics/wearables",
    "Air Purifier": "home/appliances",
    "Vacuum Cleaner": "home/appliances",
    "Bookshelf": "home/furniture",
    "Office Chair": "home/furniture",
    "Desk Lamp": "home/lighting",
    "LED Light Bulb": "home/lighting",
    "Wall Clock": "home/decor",
    "Coffee Maker": "kitchen/appliances",
    "Electric Kettle": "kitchen/appliances",
    "Espresso Machine": "kitchen/appliances",
    "Tea Kettle": "kitchen/cookware",
    "Water Bottle": "kitchen/drinkware",
    "T-Shirt": "apparel/tops",
    "Fleece Jacket": "apparel/outerwear",
    "Hiking Boots": "footwear",
    "Running Shoes": "footwear",
    "Sneakers": "footwear",
    "Sunglasses": "accessories",
    "Wristwatch": "accessories",
    "Backpack": "bags",
    "Luggage Set": "bags",
    "Makeup Kit": "beauty/makeup",
    "Perfume": "beauty/fragrance",
    "Electric Toothbrush": "beauty/personal-care",
    "Bicycle": "sports/cycling",
    "Cycling Helmet": "sports/cycling",
    "Dumbbell Set": "sports/fitness",
    "Yoga Mat": "sports/fitness",
    "Skateboard": "sports/skating",
    "Grill": "garden/outdoor-cooking",
    "Garden Hose": "garden/watering",
    "Patio Umbrella": "garden/patio",
    "Jigsaw Puzzle": "toys/puzzles",
    "Notebook": "office/paper",
    "Pet Bed": "pets/beds",
}
"""Department path of every product name in the τ-bench retail store."""

OTHER_DEPARTMENT = "other"


def category_for(product_name: str) -> str:
    """The department path and the product's slug, e.g. "electronics/cameras/action-camera"."""
    department = DEPARTMENT_BY_PRODUCT.get(product_name.strip(), OTHER_DEPARTMENT)
    return f"{department}/{slug(product_name) or 'item'}"
